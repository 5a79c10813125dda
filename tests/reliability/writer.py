"""A process that writes for ever, printing what each write returned.

The kill tests start it, SIGKILL it at a random moment, and check that everything it printed
is there and intact. Modes: `claims` (save claims), `attachments` (add files to a claim),
`packets` (export documentation packets), `reference` (import CMS files, quarter after quarter).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image

from j3490_desk.services import claims
from j3490_desk.services.app_data import open_app_data
from tests.sample_claims import sample_claim

FIXTURES = Path(__file__).parents[1] / "fixtures"
CROSSWALKS = (
    FIXTURES / "reference" / "asp_crosswalk_2025q4_slice.csv",
    FIXTURES / "reference" / "asp_crosswalk_2026q1_slice.csv",
)


def _png(n: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (n % 256, n // 256 % 256, 7)).save(buffer, "PNG")
    return buffer.getvalue()


def main(mode: str, data_dir: str, out_dir: str) -> None:
    # only what the mode needs: a slow start would leave fewer writes for the kills to land in
    if mode == "attachments":
        from j3490_desk.services import attachments
    if mode == "packets":
        from j3490_desk.services import packets
    data = open_app_data(data_dir)
    claim_id = claims.create_claim(data, sample_claim()) if mode != "claims" else 0
    n = 0
    while True:
        n += 1
        if mode == "claims":
            print(claims.create_claim(data, sample_claim()), flush=True)
        elif mode == "attachments":
            info = attachments.add_attachment(
                data,
                claim_id=claim_id,
                drug_line_id=None,
                kind=attachments.AttachmentKind.INVOICE,
                source=_png(n),
                original_name=f"scan-{n}.png",
            )
            print(info.id, flush=True)
        elif mode == "packets":
            result = packets.export_packet(data, claim_id, Path(out_dir) / f"packet-{n}.pdf")
            print(result.path.name, flush=True)
        elif mode == "reference":
            data.reference.import_file([CROSSWALKS[n % 2]])
            print(n, flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
