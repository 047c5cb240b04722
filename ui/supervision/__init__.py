"""The supervisor's side of the workstation: service dashboard, complaints, audit check."""
