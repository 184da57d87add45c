"""Signals for producers: a document's human-confirmed verdict changed.

Audit never imports the apps whose results it reviews; a producer that shows a score elsewhere
(screening shows it on the resume) listens here. Sent inside the confirming transaction.
"""

from django.dispatch import Signal

# kwargs: document (hrm2.audit.models.Document, with final_total / final_passed set)
document_confirmed = Signal()
# kwargs: document
document_reopened = Signal()
