"""Documents the office issues or produces (PDF checks; receipts and notices come later)."""
