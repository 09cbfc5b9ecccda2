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
# Art. 18 ust. 1: the final report is due within 30 days of the end of the task.
REPORT_DAYS = 30
# Art. 15 ust. 2i: anyone may demand the justification of the choice within 30 days of the results.
JUSTIFICATION_DAYS = 30
# UFP art. 251 ust. 3 and art. 252 ust. 1: returns within 15 days (unused grant at year end: 31 January).
RETURN_DAYS = 15
