"""Qt workstation for Dik Jamila."""
