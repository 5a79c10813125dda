"""The electronic claim: X12 005010X222A1 (837P) text and its validation. Qt-free."""
