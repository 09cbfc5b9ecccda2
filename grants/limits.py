"""Legal limits of the call procedure. Dated defaults from the act; change here when the law changes."""

# Art. 13 ust. 1 (Dz.U. 2024 poz. 1491): the deadline is at least 21 days after the last announcement.
MIN_CALL_DAYS = 21
# Attachments to offers.
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ALLOWED_ATTACHMENT_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}
