"""The claim wizard: one window per claim, a step per documentation item, a live checklist."""
