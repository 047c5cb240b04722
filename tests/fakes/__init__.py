"""Fakes for tests of the WhatsApp worker and its supervisor.

`fake_worker` runs the real worker (`dikjamila.whatsapp.worker.main.worker_main`: the real
loop, session lock and protocol) with `fake_backend.FakeBackend` in place of neonize:

    python -m tests.fakes.fake_worker --data-dir D [--account A] [--scenario S.json]
"""
