"""The first-run setup wizard's parts (`ui.setup_wizard`): its pages and the final save."""
