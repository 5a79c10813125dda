"""A process that saves claims for ever, printing each id once its save has returned.

The kill test starts it, kills it with SIGKILL at a random moment, and checks that every id
it printed is in the database and that the database is intact.
"""

from __future__ import annotations

import sys

from j3490_desk.services import claims
from j3490_desk.services.app_data import open_app_data
from tests.sample_claims import sample_claim


def main(data_dir: str) -> None:
    data = open_app_data(data_dir)
    while True:
        claim_id = claims.create_claim(data, sample_claim())
        print(claim_id, flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
