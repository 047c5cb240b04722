"""Demo content for a demo office: made-up residents, their document photos and PDFs."""
