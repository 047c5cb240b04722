"""`python -m dikjamila.whatsapp.worker --data-dir D [--account N]`: run one WhatsApp worker."""

import sys

from dikjamila.whatsapp.worker.main import main

if __name__ == "__main__":
    sys.exit(main())
