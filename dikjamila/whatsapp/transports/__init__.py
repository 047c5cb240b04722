"""Ways a message leaves the office: the linked device, the Cloud API, pywhatkit, a folder.

All share `Transport` (see `base.py`); the outbox runner knows nothing else about them.
"""
