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
# (kecamatan, kelurahan) pairs for a household whose district is not one of Kota Bekasi's
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

# Kota Bekasi's districts (kecamatan) and their villages (kelurahan), by district code, as in the
# hub's area list (hub/data/bekasi_areas.csv; a test keeps the two in step). A KK's first six
# digits are its district, so a Bekasi household lives in a village of that district.
BEKASI: dict[str, tuple[str, tuple[str, ...]]] = {
    "327501": ("BEKASI TIMUR", (
        "BEKASIJAYA", "MARGAHAYU", "DURENJAYA", "ARENJAYA",
    )),
    "327502": ("BEKASI BARAT", (
        "BINTARA", "KRANJI", "KOTABARU", "BINTARAJAYA", "JAKASAMPURNA",
    )),
    "327503": ("BEKASI UTARA", (
        "KALIABANG TENGAH", "PERWIRA", "HARAPANBARU", "TELUK PUCUNG", "MARGAMULYA", "HARAPANJAYA",
    )),
    "327504": ("BEKASI SELATAN", (
        "PEKAYONJAYA", "MARGAJAYA", "JAKAMULYA", "JAKASETIA", "KAYURINGINJAYA",
    )),
    "327505": ("RAWALUMBU", (
        "BOJONG RAWALUMBU", "PENGASINAN", "SEPANJANGJAYA", "BOJONGMENTENG",
    )),
    "327506": ("MEDANSATRIA", (
        "MEDANSATRIA", "HARAPANMULYA", "PEJUANG", "KALIBARU",
    )),
    "327507": ("BANTARGEBANG", (
        "BANTARGEBANG", "CIKIWUL", "CIKETINGUDIK", "SUMURBATU",
    )),
    "327508": ("PONDOKGEDE", (
        "JATIWARINGIN", "JATIBENING", "JATIMAKMUR", "JATIBENING BARU", "JATICEMPAKA",
    )),
    "327509": ("JATIASIH", (
        "JATIMEKAR", "JATIASIH", "JATIKRAMAT", "JATIRASA", "JATILUHUR", "JATISARI",
    )),
    "327510": ("JATISAMPURNA", (
        "JATISAMPURNA", "JATIKARYA", "JATIRANGGON", "JATIRANGGA", "JATIRADEN",
    )),
    "327511": ("MUSTIKAJAYA", (
        "PADURENAN", "CIMUNING", "MUSTIKAJAYA", "MUSTIKASARI",
    )),
    "327512": ("PONDOKMELATI", (
        "JATIRAHAYU", "JATIWARNA", "JATIMELATI", "JATIMURNI",
    )),
}
