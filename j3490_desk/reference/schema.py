"""Tables of reference.sqlite. `PRAGMA user_version` is the schema version.

Amounts and unit counts are kept as the file's text and read back as Decimal, so a
payment limit of 763.901 is never rounded by a float. Dates are ISO text.
"""

from __future__ import annotations

from j3490_desk.reference.kinds import FileKind

SCHEMA_VERSION = 2  # 2: OPPS Addendum B status indicators (opps_status)
APPLICATION_ID = 0x4A333439  # "J349": marks the file as ours (PRAGMA application_id)

# The FDA directory is swapped in whole: built in staging tables named with a suffix,
# then moved into place, and its indexes built after the bulk insert (much faster).
FDA_TABLES = ("fda_product", "fda_package")


def fda_tables_ddl(suffix: str = "", package_key: str = "") -> list[str]:
    """`package_key` makes the final package table a WITHOUT ROWID table keyed by NDC:
    a look-up then reads one B-tree instead of an index and then the table."""
    return [
        f"""CREATE TABLE fda_product{suffix} (
            id INTEGER PRIMARY KEY,
            product_id TEXT NOT NULL,
            product_ndc TEXT NOT NULL,
            product_type TEXT NOT NULL,
            proprietary_name TEXT NOT NULL,
            proprietary_suffix TEXT NOT NULL,
            nonproprietary_name TEXT NOT NULL,
            dosage_form TEXT NOT NULL,
            route TEXT NOT NULL,
            start_marketing TEXT,
            end_marketing TEXT,
            marketing_category TEXT NOT NULL,
            application_number TEXT NOT NULL,
            labeler TEXT NOT NULL,
            substance TEXT NOT NULL,
            strength TEXT NOT NULL,
            strength_unit TEXT NOT NULL,
            exclude_flag TEXT NOT NULL
        )""",
        f"""CREATE TABLE fda_package{suffix} (
            ndc11 TEXT NOT NULL{package_key},
            package_code TEXT NOT NULL,
            product INTEGER NOT NULL,
            description TEXT NOT NULL,
            start_marketing TEXT,
            end_marketing TEXT,
            exclude_flag TEXT NOT NULL,
            sample TEXT NOT NULL
        ){" WITHOUT ROWID" if package_key else ""}""",
    ]


FDA_PACKAGE_KEY = " PRIMARY KEY"
FDA_INDEXES = [
    # Name search: a range scan on the lower-cased name finds every prefix as typed.
    "CREATE INDEX fda_product_proprietary ON fda_product (lower(proprietary_name))",
    "CREATE INDEX fda_product_nonproprietary ON fda_product (lower(nonproprietary_name))",
]

BASE_DDL = [
    """CREATE TABLE import_log (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        file_name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        effective_from TEXT NOT NULL,
        effective_to TEXT,
        imported_at TEXT NOT NULL,
        rows_read INTEGER NOT NULL,
        rows_kept INTEGER NOT NULL,
        rows_rejected INTEGER NOT NULL,
        replaced_by INTEGER REFERENCES import_log (id)
    )""",
    "CREATE INDEX import_log_sha256 ON import_log (sha256)",
    "CREATE INDEX import_log_kind ON import_log (kind, effective_from)",
    *fda_tables_ddl(package_key=FDA_PACKAGE_KEY),
    *FDA_INDEXES,
    """CREATE TABLE asp_crosswalk (
        import_id INTEGER NOT NULL REFERENCES import_log (id),
        ndc11 TEXT NOT NULL,
        hcpcs TEXT NOT NULL,
        short_description TEXT NOT NULL,
        labeler TEXT NOT NULL,
        drug_name TEXT NOT NULL,
        hcpcs_dosage TEXT NOT NULL,
        package_size TEXT,
        package_quantity TEXT,
        billing_units TEXT,
        billing_units_per_package TEXT
    )""",
    "CREATE INDEX asp_crosswalk_ndc11 ON asp_crosswalk (ndc11, import_id)",
    "CREATE INDEX asp_crosswalk_import ON asp_crosswalk (import_id)",
    """CREATE TABLE noc_crosswalk (
        import_id INTEGER NOT NULL REFERENCES import_log (id),
        ndc11 TEXT NOT NULL,
        generic_name TEXT NOT NULL,
        labeler TEXT NOT NULL,
        drug_name TEXT NOT NULL,
        dosage TEXT NOT NULL,
        package_size TEXT,
        package_quantity TEXT,
        billing_units TEXT,
        billing_units_per_package TEXT
    )""",
    "CREATE INDEX noc_crosswalk_ndc11 ON noc_crosswalk (ndc11, import_id)",
    "CREATE INDEX noc_crosswalk_import ON noc_crosswalk (import_id)",
    """CREATE TABLE asp_payment_limit (
        import_id INTEGER NOT NULL REFERENCES import_log (id),
        hcpcs TEXT NOT NULL,
        short_description TEXT NOT NULL,
        dosage TEXT NOT NULL,
        payment_limit TEXT,
        notes TEXT NOT NULL
    )""",
    "CREATE INDEX asp_payment_limit_hcpcs ON asp_payment_limit (hcpcs, import_id)",
    "CREATE INDEX asp_payment_limit_import ON asp_payment_limit (import_id)",
    """CREATE TABLE noc_payment_limit (
        import_id INTEGER NOT NULL REFERENCES import_log (id),
        generic_name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        dosage TEXT NOT NULL,
        payment_limit TEXT,
        notes TEXT NOT NULL
    )""",
    "CREATE INDEX noc_payment_limit_key ON noc_payment_limit (name_key, import_id)",
    "CREATE INDEX noc_payment_limit_import ON noc_payment_limit (import_id)",
    """CREATE TABLE hcpcs_code (
        import_id INTEGER NOT NULL REFERENCES import_log (id),
        code TEXT NOT NULL,
        long_description TEXT NOT NULL,
        short_description TEXT NOT NULL,
        pricing_indicator TEXT NOT NULL,
        coverage TEXT NOT NULL,
        added TEXT,
        action_effective TEXT,
        terminated TEXT,
        action_code TEXT NOT NULL
    )""",
    "CREATE INDEX hcpcs_code_code ON hcpcs_code (code, import_id)",
    "CREATE INDEX hcpcs_code_import ON hcpcs_code (import_id)",
]

# Added in schema 2; a version-1 database gets them on opening (store._check_and_migrate).
OPPS_DDL = [
    """CREATE TABLE opps_status (
        import_id INTEGER NOT NULL REFERENCES import_log (id),
        hcpcs TEXT NOT NULL,
        short_descriptor TEXT NOT NULL,
        status_indicator TEXT NOT NULL,
        apc TEXT NOT NULL
    )""",
    "CREATE INDEX opps_status_import ON opps_status (import_id)",
]
SCHEMA_DDL = [*BASE_DDL, *OPPS_DDL]

# Which table holds each quarterly kind's rows (all carry import_id).
QUARTERLY_TABLES = {
    FileKind.ASP_CROSSWALK: "asp_crosswalk",
    FileKind.NOC_CROSSWALK: "noc_crosswalk",
    FileKind.ASP_PAYMENT_LIMITS: "asp_payment_limit",
    FileKind.NOC_PAYMENT_LIMITS: "noc_payment_limit",
    FileKind.HCPCS_CODES: "hcpcs_code",
    FileKind.OPPS_ADDENDUM_B: "opps_status",
}
