"""Generated paperwork in the workstation: receipt and notice previews, printing, the archive
bundle, the IKM survey form, and the settings page for documents and supervision."""
