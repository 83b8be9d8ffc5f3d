"""Plausible Indonesian names and Bekasi places for synthetic records (no real people)."""

MALE = (
    "Agus",
    "Budi",
    "Dedi",
    "Eko",
    "Hendra",
    "Joko",
    "Rahmat",
    "Slamet",
    "Wahyu",
    "Yusuf",
    "Rizky",
    "Fajar",
)
FEMALE = (
    "Ani",
    "Dewi",
    "Fitri",
    "Lestari",
    "Nurhayati",
    "Ratna",
    "Siti",
    "Sri",
    "Wulan",
    "Yuni",
    "Putri",
    "Indah",
)
FAMILY = (
    "Saputra",
    "Hidayat",
    "Kurniawan",
    "Setiawan",
    "Pratama",
    "Wijaya",
    "Nugroho",
    "Santoso",
    "Siregar",
    "Harahap",
)
BIRTH_PLACES = ("BEKASI", "BEKASI", "BEKASI", "JAKARTA", "KARAWANG", "BOGOR", "CIREBON", "TEGAL")
# (kecamatan, kelurahan) pairs of Kota Bekasi
VILLAGES = (
    ("BEKASI BARAT", "JAKASAMPURNA"),
    ("BEKASI BARAT", "KOTABARU"),
    ("BEKASI TIMUR", "ARUHAN JAYA"),
    ("BEKASI UTARA", "HARAPAN JAYA"),
    ("BEKASI SELATAN", "PEKAYON JAYA"),
    ("MEDAN SATRIA", "HARAPAN MULYA"),
    ("BANTAR GEBANG", "CIKETINGUDIK"),
    ("RAWALUMBU", "BOJONG RAWALUMBU"),
    ("JATIASIH", "JATIMEKAR"),
)
STREETS = (
    "JL. MAWAR",
    "JL. MELATI",
    "GG. H. NAIM",
    "JL. KENANGA",
    "JL. PERJUANGAN",
    "GG. MASJID",
    "JL. SERMA MUCHTAR",
)
