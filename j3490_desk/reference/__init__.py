"""FDA NDC Directory and CMS drug files: imported offline into their own SQLite file.

`store` owns the database, `importing` turns a picked file into rows (recognised by its
content, never its name), `lookup` answers "what is this NDC?" and builds the rules'
`DrugFacts`, `staleness` says what is loaded and how old, `recheck` finds claim lines a new
quarter's crosswalk affects.
"""
