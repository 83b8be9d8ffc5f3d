// Bahasa Indonesia first, English as a switch. Each entry is [Indonesian, English]; SLRT's own
// terms (keluhan, rujukan, Puskesos, Dinas, kelurahan) stay in Indonesian in both.

let current = (() => {
  try { return localStorage.getItem("slrt.lang") === "en" ? "en" : "id"; } catch { return "id"; }
})();

export function lang() { return current; }

export function setLang(value) {
  current = value === "en" ? "en" : "id";
  document.documentElement.lang = current;
  try { localStorage.setItem("slrt.lang", current); } catch { /* private mode: not remembered */ }
}

const M = {
  app: ["SLRT Konsol", "SLRT Console"],
  skip: ["Lewati ke konten", "Skip to content"],
  language: ["Bahasa", "Language"],
  switchLang: ["English", "Bahasa Indonesia"],
  signOut: ["Keluar", "Sign out"],
  signedInAs: ["Masuk sebagai", "Signed in as"],
  loading: ["Memuat…", "Loading…"],
  retry: ["Coba lagi", "Try again"],
  cancel: ["Batal", "Cancel"],
  send: ["Kirim", "Send"],
  save: ["Simpan", "Save"],
  close: ["Tutup", "Close"],
  none: ["Tidak ada", "None"],
  all: ["Semua", "All"],
  yes: ["Ya", "Yes"],
  no: ["Tidak", "No"],
  updatedLive: ["Diperbarui otomatis", "Updated live"],
  networkError: ["Koneksi ke hub gagal. Periksa jaringan lalu coba lagi.", "Could not reach the hub. Check the network and try again."],
  forbidden: ["Anda tidak berwenang melihat ini.", "You may not see this."],
  notFound: ["Tidak ditemukan di wilayah Anda.", "Not found in your area."],
  internal: ["Terjadi kesalahan di hub (kode {id}).", "The hub failed (request {id})."],
  sessionEnded: ["Sesi berakhir. Silakan masuk lagi.", "Your session ended. Please sign in again."],

  // navigation
  navQueue: ["Antrian", "My queue"],
  navIntake: ["Catat keluhan", "Record a keluhan"],
  navReferrals: ["Rujukan", "Referrals"],
  navInbox: ["Kotak rujukan", "Referral inbox"],
  navDashboard: ["Dasbor", "Dashboard"],
  mainNav: ["Menu utama", "Main menu"],

  // sign-in
  signInTitle: ["Masuk ke SLRT Konsol", "Sign in to SLRT Console"],
  signInIntro: ["Konsol kerja Sistem Layanan dan Rujukan Terpadu untuk fasilitator, Puskesos, sekretariat SLRT dan Dinas.",
    "The workspace of the Integrated Service and Referral System for facilitators, Puskesos, the SLRT secretariat and the Dinas."],
  signInOidc: ["Masuk dengan akun SLRT", "Sign in with your SLRT account"],
  signInDemo: ["Masuk sebagai (demo)", "Sign in as (demo)"],
  signInDemoNote: ["Akun demo dengan data sintetis. Hanya ada di `slrt-hub demo`.", "Demo accounts with synthetic data. Only in `slrt-hub demo`."],
  signInNone: ["Belum ada penyedia identitas. Atur SLRT_OAUTH_ISSUER dan SLRT_OAUTH_JWKS_URL.", "No identity provider is configured. Set SLRT_OAUTH_ISSUER and SLRT_OAUTH_JWKS_URL."],
  pasteToken: ["Tempel token akses (pengembangan)", "Paste an access token (development)"],
  pasteTokenLabel: ["Token akses", "Access token"],
  useToken: ["Pakai token", "Use token"],
  signInFailed: ["Gagal masuk: {why}", "Sign-in failed: {why}"],

  // queue
  queueTitle: ["Antrian saya", "My queue"],
  queueFor: ["Keluhan yang menunggu Anda sebagai {role}", "Keluhan waiting for you as {role}"],
  filters: ["Saring", "Filter"],
  status: ["Status", "Status"],
  sector: ["Sektor", "Sector"],
  priority: ["Prioritas", "Priority"],
  village: ["Kelurahan/desa", "Village"],
  search: ["Cari di keluhan", "Search complaints"],
  caseNumber: ["Nomor", "Number"],
  complaint: ["Keluhan", "Complaint"],
  slaDue: ["Batas SLA", "SLA due"],
  overdue: ["Terlambat", "Overdue"],
  created: ["Dicatat", "Recorded"],
  noCases: ["Tidak ada keluhan dalam antrian ini.", "No keluhan in this queue."],
  casesShown: ["{n} dari {total} keluhan", "{n} of {total} keluhan"],
  loadMore: ["Tampilkan lebih banyak", "Show more"],
  overdueReferrals: ["Rujukan terlambat (eskalasi)", "Overdue referrals (escalated)"],
  overdueNone: ["Tidak ada rujukan yang melewati target.", "No referral is past its target."],
  missedACKNOWLEDGEMENT: ["belum ditanggapi Dinas (batas {due})", "not acknowledged by the Dinas (due {due})"],
  missedCOMPLETION: ["belum selesai (batas {due})", "not completed (due {due})"],
  escalatedAt: ["dieskalasi {at}", "escalated {at}"],

  // case
  caseTitle: ["Keluhan {number}", "Keluhan {number}"],
  channel: ["Jalur", "Channel"],
  recordedBy: ["Dicatat oleh", "Recorded by"],
  household: ["Keluarga", "Household"],
  kk: ["Nomor KK", "KK number"],
  address: ["Alamat", "Address"],
  members: ["Anggota keluarga", "Members"],
  nik: ["NIK", "NIK"],
  name: ["Nama", "Name"],
  birthDate: ["Tanggal lahir", "Birth date"],
  sex: ["Jenis kelamin", "Sex"],
  relationship: ["Hubungan", "Relationship"],
  subject: ["Subjek keluhan", "Complaint subject"],
  actions: ["Tindakan", "Actions"],
  noActions: ["Tidak ada tindakan untuk Anda pada status ini.", "Nothing for you to do at this status."],
  note: ["Catatan", "Note"],
  reason: ["Alasan", "Reason"],
  required: ["wajib", "required"],
  optional: ["opsional", "optional"],
  analysisNote: ["Catatan analisis", "Analysis note"],
  programme: ["Program", "Programme"],
  referralReason: ["Alasan rujukan", "Reason for the referral"],
  connectors: ["Data sektor (terhubung langsung)", "Sector systems (live)"],
  unavailable: ["Sistem tidak tersedia", "System unavailable"],
  unavailableHint: ["{system} tidak menjawab saat ini; bagian lain halaman tetap dapat dipakai.", "{system} is not answering now; the rest of the page still works."],
  notFoundThere: ["Tidak tercatat di {system}", "Not on record at {system}"],
  needsPii: ["Butuh izin pii:read", "Needs pii:read"],
  welfare: ["DTSEN (SIKS-NG)", "DTSEN (SIKS-NG)"],
  housing: ["Kondisi rumah (PUPR)", "Housing (PUPR)"],
  civilRegistry: ["Dukcapil", "Civil registry (Dukcapil)"],
  healthCoverage: ["BPJS Kesehatan", "BPJS health coverage"],
  education: ["Pendidikan (Dapodik/PIP)", "Education (Dapodik/PIP)"],
  inDtsen: ["Terdaftar di DTSEN", "In DTSEN"],
  decile: ["Desil", "Decile"],
  programmesReceived: ["Bantuan diterima", "Assistance received"],
  habitable: ["Layak huni", "Habitable"],
  rtlh: ["Rumah tidak layak huni (RTLH)", "Not habitable (RTLH)"],
  conditionScore: ["Skor kondisi", "Condition score"],
  bspsYear: ["BSPS diterima", "BSPS received"],
  jknActive: ["JKN aktif", "JKN active"],
  segment: ["Segmen", "Segment"],
  careClass: ["Kelas", "Class"],
  facility: ["Faskes", "Facility"],
  enrolled: ["Bersekolah", "Enrolled"],
  school: ["Sekolah", "School"],
  kip: ["Pemegang KIP", "KIP holder"],
  pip: ["PIP tahun ini", "PIP this year"],
  nikMatch: ["NIK cocok", "NIK matches"],
  alive: ["Hidup", "Alive"],
  suggested: ["Usulan rujukan (hasil penapisan)", "Suggested referrals (screening)"],
  noSuggestions: ["Tidak ada usulan.", "No suggestions."],
  notEvaluated: ["Belum dinilai karena sistem tidak tersedia: {rules}", "Not evaluated, a system was down: {rules}"],
  timeline: ["Riwayat", "Timeline"],
  referrals: ["Rujukan", "Referrals"],
  noReferrals: ["Belum ada rujukan.", "No referrals yet."],
  delivery: ["Pengiriman", "Delivery"],
  portalDelivery: ["Lewat kotak rujukan (portal)", "Via the inbox (portal)"],
  attempts: ["Percobaan kirim", "Delivery attempts"],
  attempt: ["#{n} {at}: {result}", "#{n} {at}: {result}"],
  redeliver: ["Kirim ulang", "Send again"],
  partnerReference: ["Nomor di Dinas", "Dinas reference"],
  outcome: ["Hasil", "Outcome"],
  ackBy: ["Tanggapi sebelum", "Acknowledge by"],
  completeBy: ["Selesaikan sebelum", "Complete by"],
  history: ["Riwayat status", "Status history"],
  duplicates: ["Kemungkinan duplikat", "Possible duplicates"],
  pendingMove: ["Nomor KK atau NIK keluhan ini terdaftar di wilayah lain. Periksa dengan keluarga, lalu konfirmasi pindah KK.",
    "A KK number or NIK of this keluhan is registered in another area. Check with the household, then confirm the move."],
  done: ["Tersimpan.", "Saved."],

  // intake
  intakeTitle: ["Catat keluhan", "Record a keluhan"],
  intakeIntro: ["Isi data keluarga dan keluhannya. NIK dan KK diperiksa saat Anda mengetik.", "Enter the household and its complaint. NIK and KK are checked as you type."],
  member: ["Anggota {n}", "Member {n}"],
  addMember: ["Tambah anggota", "Add a member"],
  removeMember: ["Hapus anggota {n}", "Remove member {n}"],
  subjects: ["Keluhan ini tentang", "The complaint is about"],
  sectors: ["Sektor yang dibutuhkan", "Sectors needed"],
  rt: ["RT", "RT"],
  rw: ["RW", "RW"],
  saveDraft: ["Simpan sebagai draf", "Save as draft"],
  saving: ["Menyimpan…", "Saving…"],
  fixErrors: ["Periksa isian yang ditandai: {n} masalah.", "Check the marked fields: {n} problem(s)."],
  retrySame: ["Koneksi terputus. Kirim ulang aman: keluhan tidak akan tercatat dua kali.", "The connection dropped. Sending again is safe: the keluhan is never recorded twice."],
  recorded: ["Keluhan {number} tersimpan sebagai draf.", "Keluhan {number} saved as a draft."],
  pickSubject: ["Pilih minimal satu anggota", "Pick at least one member"],
  choose: ["— pilih —", "— choose —"],

  // referral tracker
  trackerTitle: ["Pelacakan rujukan", "Referral tracker"],
  deadFirst: ["Gagal terkirim (perlu kirim ulang)", "Delivery failed (send again)"],
  deadNone: ["Tidak ada pengiriman yang gagal.", "No failed deliveries."],
  allReferrals: ["Semua rujukan", "All referrals"],
  partnerHealth: ["Kesehatan endpoint Dinas", "Dinas endpoint health"],
  partner: ["Dinas", "Dinas"],
  endpoint: ["Endpoint", "Endpoint"],
  healthy: ["Sehat", "Healthy"],
  failingSince: ["Gagal sejak {at}", "Failing since {at}"],
  disabledEndpoint: ["Dinonaktifkan (admin mengaktifkan kembali)", "Disabled (an administrator re-enables it)"],
  portalOnly: ["Tanpa sistem (kotak rujukan)", "No system (inbox)"],
  pending: ["Tertunda", "Pending"],
  deliveryState: ["Status kirim", "Delivery"],
  redelivered: ["Dijadwalkan kirim ulang.", "Scheduled to send again."],

  // inbox
  inboxTitle: ["Kotak rujukan {partner}", "Referral inbox of {partner}"],
  inboxIntro: ["Rujukan SLRT untuk Dinas Anda. Tanggapi, proses, dan selesaikan di sini.", "SLRT referrals to your agency. Acknowledge, work and complete them here."],
  tabNew: ["Baru", "New"],
  tabOpen: ["Diproses", "In progress"],
  tabDone: ["Selesai", "Done"],
  inboxEmpty: ["Tidak ada rujukan di sini.", "No referrals here."],
  referredFor: ["Dirujuk untuk {programme}", "Referred for {programme}"],

  // dashboard
  dashTitle: ["Dasbor pemantauan dan evaluasi", "Monitoring and evaluation"],
  area: ["Wilayah", "Area"],
  from: ["Dari tanggal", "From"],
  to: ["Sampai tanggal", "To"],
  show: ["Tampilkan", "Show"],
  downloadCsv: ["Unduh CSV", "Download CSV"],
  total: ["Keluhan tercatat", "Keluhan recorded"],
  resolved: ["Selesai/ditutup", "Resolved or closed"],
  shareResolved: ["Persentase selesai", "Share resolved"],
  medianToReferral: ["Median hari sampai dirujuk", "Median days to referral"],
  medianToCompletion: ["Median hari rujukan sampai tuntas", "Median days referral to completion"],
  slaBreachedCases: ["Keluhan melewati SLA", "Keluhan past their SLA"],
  byStatus: ["Keluhan menurut status", "Keluhan by status"],
  byChannel: ["Keluhan menurut jalur", "Keluhan by channel"],
  bySector: ["Keluhan menurut sektor", "Keluhan by sector"],
  overTime: ["Keluhan per bulan (tercatat dan selesai)", "Keluhan per month (recorded and resolved)"],
  referralsByPartner: ["Rujukan menurut Dinas dan status", "Referrals by Dinas and status"],
  slaBreaches: ["Pelanggaran SLA per sektor", "SLA breaches per sector"],
  byVillage: ["Keluhan per kelurahan/desa", "Keluhan per village"],
  asTable: ["Lihat sebagai tabel", "Show as a table"],
  count: ["Jumlah", "Count"],
  month: ["Bulan", "Month"],
  days: ["{n} hari", "{n} days"],
};

export function t(key, vars = {}) {
  const entry = M[key];
  let text = entry ? entry[current === "en" ? 1 : 0] : key;
  for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`{${k}}`, String(v));
  return text;
}

// Labels of the hub's enums (GraphQL values), per language.
const E = {
  CaseStatus: {
    DRAFT: ["Draf", "Draft"], SUBMITTED: ["Diajukan", "Submitted"], RETURNED: ["Dikembalikan", "Returned"],
    APPROVED: ["Disetujui", "Approved"], REVIEWED: ["Ditelaah", "Reviewed"], REFERRED: ["Dirujuk", "Referred"],
    RESOLVED: ["Selesai", "Resolved"], CLOSED: ["Ditutup", "Closed"], REJECTED: ["Ditolak", "Rejected"],
  },
  ReferralStatus: {
    REQUESTED: ["Menunggu tanggapan", "Requested"], ACCEPTED: ["Diterima", "Accepted"],
    IN_PROGRESS: ["Diproses", "In progress"], ON_HOLD: ["Ditunda", "On hold"], REJECTED: ["Ditolak", "Rejected"],
    COMPLETED: ["Selesai", "Completed"], FAILED: ["Gagal", "Failed"], CANCELLED: ["Dibatalkan", "Cancelled"],
  },
  // Buttons that set a referral status.
  ReferralMove: {
    ACCEPTED: ["Terima", "Accept"], REJECTED: ["Tolak", "Decline"], IN_PROGRESS: ["Mulai proses", "Start"],
    ON_HOLD: ["Tunda", "Put on hold"], COMPLETED: ["Selesaikan", "Complete"], FAILED: ["Nyatakan gagal", "Mark failed"],
    CANCELLED: ["Batalkan rujukan", "Cancel referral"],
  },
  DeliveryState: {
    QUEUED: ["Antre", "Queued"], SENDING: ["Sedang dikirim", "Sending"], DELIVERED: ["Terkirim", "Delivered"],
    RETRYING: ["Mencoba ulang", "Retrying"], DEAD: ["Gagal terkirim", "Dead"],
  },
  Sector: {
    SOCIAL_ASSISTANCE: ["Bantuan sosial", "Social assistance"], HEALTH: ["Kesehatan", "Health"],
    EDUCATION: ["Pendidikan", "Education"], HOUSING: ["Perumahan", "Housing"],
    CIVIL_REGISTRATION: ["Adminduk", "Civil registration"], EMPLOYMENT: ["Ketenagakerjaan", "Employment"],
    OTHER: ["Lainnya", "Other"],
  },
  Priority: { LOW: ["Rendah", "Low"], NORMAL: ["Biasa", "Normal"], HIGH: ["Tinggi", "High"], URGENT: ["Mendesak", "Urgent"] },
  Channel: { FACILITATOR: ["Fasilitator", "Facilitator"], PUSKESOS: ["Puskesos", "Puskesos"], SECRETARIAT: ["Sekretariat SLRT", "SLRT secretariat"] },
  Role: {
    FACILITATOR: ["Fasilitator", "Facilitator"], PUSKESOS_OPERATOR: ["Operator Puskesos", "Puskesos operator"],
    SUPERVISOR: ["Supervisor", "Supervisor"], FRONT_OFFICE: ["Front office sekretariat", "Secretariat front office"],
    BACK_OFFICE: ["Back office sekretariat", "Secretariat back office"], PARTNER: ["Petugas Dinas", "Dinas officer"],
    AUDITOR: ["Auditor", "Auditor"], ADMIN: ["Admin", "Administrator"],
  },
  Sex: { M: ["Laki-laki", "Male"], F: ["Perempuan", "Female"] },
  Relationship: {
    HEAD: ["Kepala keluarga", "Head"], SPOUSE: ["Istri/suami", "Spouse"], CHILD: ["Anak", "Child"],
    CHILD_IN_LAW: ["Menantu", "Child-in-law"], GRANDCHILD: ["Cucu", "Grandchild"], PARENT: ["Orang tua", "Parent"],
    PARENT_IN_LAW: ["Mertua", "Parent-in-law"], OTHER_RELATIVE: ["Famili lain", "Other relative"],
    HOUSEHOLD_HELPER: ["Pembantu", "Household helper"], OTHER: ["Lainnya", "Other"],
  },
  CaseAction: {
    UPDATE: ["Ubah keluhan", "Edit"], SUBMIT: ["Ajukan ke supervisor", "Submit"],
    RESOLVE_LOCALLY: ["Selesaikan di tingkat desa", "Resolve locally"], RETURN: ["Kembalikan untuk diperbaiki", "Return"],
    APPROVE: ["Setujui", "Approve"], REVIEW: ["Telaah", "Review"], REJECT: ["Tolak keluhan", "Reject"],
    REFER: ["Rujuk ke program", "Refer"], RESOLVE: ["Nyatakan selesai", "Resolve"], CLOSE: ["Tutup keluhan", "Close"],
    CONFIRM_HOUSEHOLD_MOVE: ["Konfirmasi pindah KK", "Confirm household move"],
  },
  EventAction: {
    RECORD: ["Dicatat", "Recorded"], UPDATE: ["Diubah", "Updated"], SUBMIT: ["Diajukan", "Submitted"],
    RESOLVE_LOCALLY: ["Diselesaikan di desa", "Resolved locally"], RETURN: ["Dikembalikan", "Returned"],
    APPROVE: ["Disetujui", "Approved"], REVIEW: ["Ditelaah", "Reviewed"], REJECT: ["Ditolak", "Rejected"],
    REFER: ["Dirujuk", "Referred"], AUTO_RESOLVE: ["Selesai (semua rujukan berakhir)", "Resolved (every referral ended)"],
    RESOLVE: ["Dinyatakan selesai", "Resolved"], CLOSE: ["Ditutup", "Closed"], ESCALATED: ["Eskalasi", "Escalated"],
    CONFIRM_HOUSEHOLD_MOVE: ["Pindah KK dikonfirmasi", "Household move confirmed"],
    REFERRAL_ACCEPTED: ["Rujukan diterima Dinas", "Referral accepted"],
    REFERRAL_REJECTED: ["Rujukan ditolak Dinas", "Referral declined"],
    REFERRAL_IN_PROGRESS: ["Rujukan diproses", "Referral in progress"],
    REFERRAL_ON_HOLD: ["Rujukan ditunda", "Referral on hold"],
    REFERRAL_COMPLETED: ["Rujukan selesai", "Referral completed"],
    REFERRAL_FAILED: ["Rujukan gagal", "Referral failed"],
    REFERRAL_CANCELLED: ["Rujukan dibatalkan", "Referral cancelled"],
  },
};

export function label(kind, value) {
  if (value === null || value === undefined) return "—";
  const entry = E[kind] && E[kind][value];
  return entry ? entry[current === "en" ? 1 : 0] : String(value);
}

export function values(kind) { return Object.keys(E[kind]); }

// The hub's messages are English; in Indonesian the known ones are translated, the rest
// shown as sent. The NIK/KK messages are the exact strings of hub/people/identity.py.
const SERVER = [
  [/^(NIK|KK number) must be exactly 16 digits$/, (m) => `${idLabel(m[1])} harus tepat 16 angka`],
  [/^(NIK|KK number) must start with a known province code \(11–94\), not (\d\d)$/,
    (m) => `${idLabel(m[1])} harus diawali kode provinsi yang dikenal (11–94), bukan ${m[2]}`],
  [/^(NIK|KK number) digits 3–6 must name a regency and district \(not 00\)$/,
    (m) => `Angka ke-3 sampai ke-6 ${idLabel(m[1])} harus kode kabupaten/kota dan kecamatan (bukan 00)`],
  [/^NIK digits 7–12 must be a birth date DDMMYY \(women add 40 to the day\)$/,
    () => "Angka ke-7 sampai ke-12 NIK harus tanggal lahir DDMMYY (perempuan: tanggal ditambah 40)"],
  [/^(NIK|KK number) serial \(last 4 digits\) must be 0001 or more$/,
    (m) => `Nomor urut ${idLabel(m[1])} (4 angka terakhir) minimal 0001`],
  [/^Birth date does not agree with the NIK \(digits 7–12\)$/, () => "Tanggal lahir tidak sesuai dengan NIK (angka ke-7 sampai ke-12)"],
  [/^Sex does not agree with the NIK \(women have 40 added to the birth day\)$/,
    () => "Jenis kelamin tidak sesuai dengan NIK (perempuan: tanggal lahir ditambah 40)"],
  [/^Birth date is in the future$/, () => "Tanggal lahir ada di masa depan"],
  [/^This NIK is listed twice in the household$/, () => "NIK ini tercantum dua kali dalam keluarga"],
  [/^This NIK is not a member of the household$/, () => "NIK ini bukan anggota keluarga"],
  [/^A family card has one head of the family$/, () => "Satu kartu keluarga hanya punya satu kepala keluarga"],
  [/^A household needs at least one member$/, () => "Keluarga harus punya minimal satu anggota"],
  [/^Name at least one person the complaint is about$/, () => "Pilih minimal satu orang yang dikeluhkan"],
  [/^Name at least one sector$/, () => "Pilih minimal satu sektor"],
  [/^(\w[\w ]*) must not be empty$/, (m) => `${fieldLabel(m[1])} wajib diisi`],
  [/^(RT|RW) must be up to 3 digits$/, (m) => `${m[1]} paling banyak 3 angka`],
  [/^the village is outside your area$/, () => "Kelurahan/desa di luar wilayah Anda"],
  [/^Cannot (.+) a case that is (\w+)$/, (m) => `Tidak bisa dilakukan pada keluhan berstatus ${label("CaseStatus", m[2])}`],
  [/^The case was changed by someone else at the same time; reload it and try again$/,
    () => "Keluhan baru saja diubah orang lain; muat ulang lalu coba lagi"],
  [/^The case already has an open referral to (\w+)$/, (m) => `Keluhan ini sudah punya rujukan terbuka ke ${m[1]}`],
  [/^A referral that is (\w+) cannot become (\w+)$/,
    (m) => `Rujukan berstatus ${label("ReferralStatus", m[1])} tidak bisa menjadi ${label("ReferralStatus", m[2])}`],
  [/^Only a referral whose delivery is DEAD can be redelivered$/, () => "Hanya rujukan yang gagal terkirim yang bisa dikirim ulang"],
];

function idLabel(what) { return what === "NIK" ? "NIK" : "Nomor KK"; }
function fieldLabel(what) {
  return { Reason: "Alasan", Note: "Catatan", Complaint: "Keluhan", Address: "Alamat", Name: "Nama",
    "Birth date": "Tanggal lahir", Sex: "Jenis kelamin" }[what] || what;
}

export function serverMessage(message) {
  if (current === "en") return message;
  for (const [pattern, render] of SERVER) {
    const m = pattern.exec(message);
    if (m) return render(m);
  }
  return message;
}

export function formatDate(value) {
  if (!value) return "—";
  const d = new Date(value.length === 10 ? `${value}T00:00:00` : value);
  return d.toLocaleDateString(current === "en" ? "en-GB" : "id-ID", { day: "numeric", month: "short", year: "numeric" });
}

export function formatDateTime(value) {
  if (!value) return "—";
  return new Date(value).toLocaleString(current === "en" ? "en-GB" : "id-ID",
    { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
}

export function formatNumber(value, digits = 0) {
  if (value === null || value === undefined) return "—";
  return Number(value).toLocaleString(current === "en" ? "en-GB" : "id-ID", { maximumFractionDigits: digits });
}
