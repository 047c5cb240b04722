"""The WhatsApp worker: a process of its own that holds the linked-device session.

The workstation's supervisor starts it (`dikjamila whatsapp worker --data-dir D`, or
`python -m dikjamila.whatsapp.worker --data-dir D`) and talks to it in JSON lines
(`dikjamila.whatsapp.protocol`). Its parts:

- `loop.run_loop`: the protocol loop, independent of any WhatsApp library (`event_writer`:
  its one writer of stdout lines);
- `backend.Backend`: what the loop needs from a library; `neonize_backend.NeonizeBackend` is
  the real one (neonize, a binding of the Go client whatsmeow), with `neonize_events` turning
  neonize's events into protocol events and `incoming_files` storing what residents send;
- `session_lock`: one worker per session file;
- `paths`, `worker_log`, `stdio`, `main.worker_main`: the process around them.

Nothing here imports Qt; importing this package never loads the Go library.
"""
