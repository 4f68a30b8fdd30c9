"""How `sources` tells the rest of the system that a capture finished.

`sources` never imports `claims`; `claims` connects a receiver to this signal
(e.g. to match evidence passages or flag claims whose source changed).

Sent after the Capture row is committed, with keyword arguments:
    capture          the new Capture (outcome ok, failed or refused)
    source           its Source
    content_changed  True when an ok capture's sha256 differs from the previous ok capture
    vanished         True when a recheck found the page gone (404/410)

The sender is the Capture class. It is sent for every Capture row, including a failed
attempt that will be retried (then capture.source.status is still "pending").
"""

from django.dispatch import Signal

capture_finished = Signal()
