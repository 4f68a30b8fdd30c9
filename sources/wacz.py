"""A capture's WARC packaged as WACZ 1.1.1 (https://specs.webrecorder.net/wacz/1.1.1/).

    data = wacz_from_warc(warc_bytes, url=..., title=..., captured_at=...)

Layout: archive/data.warc.gz (stored, not recompressed: ReplayWeb.page reads records by
offset), indexes/index.cdxj (sorted, by webrecorder's cdxj-indexer, so the keys are the
SURTs its replay computes), pages/pages.jsonl, datapackage.json (every file with its
sha256 and size) and datapackage-digest.json. Written here rather than with the `wacz`
package, which pulls in pywb and its pinned web stack for what is a zip of five files.
"""

import hashlib
import io
import json
import zipfile

from cdxj_indexer.main import write_cdx_index

WACZ_VERSION = "1.1.1"
WARC_NAME = "data.warc.gz"


def cdxj_index(warc):
    out = io.StringIO()
    write_cdx_index(out, io.BytesIO(warc), {"sort": True, "filename": WARC_NAME})
    return out.getvalue()


def _sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def wacz_from_warc(warc, *, url, title, captured_at, software):
    stamp = captured_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    pages = [
        {"format": "json-pages-1.0", "id": "pages", "title": "All Pages"},
        {"id": "1", "url": url, "title": title or url, "ts": stamp},
    ]
    files = {
        f"archive/{WARC_NAME}": warc,
        "indexes/index.cdxj": cdxj_index(warc).encode(),
        "pages/pages.jsonl": "".join(json.dumps(p) + "\n" for p in pages).encode(),
    }
    package = {
        "profile": "data-package",
        "wacz_version": WACZ_VERSION,
        "title": title or url,
        "software": software,
        "created": stamp,
        "mainPageURL": url,
        "mainPageDate": stamp,
        "resources": [
            {
                "name": path.rsplit("/", 1)[-1],
                "path": path,
                "hash": _sha256(data),
                "bytes": len(data),
            }
            for path, data in files.items()
        ],
    }
    files["datapackage.json"] = json.dumps(package, indent=2).encode()
    digest = {"path": "datapackage.json", "hash": _sha256(files["datapackage.json"])}
    files["datapackage-digest.json"] = json.dumps(digest).encode()
    buffer = io.BytesIO()
    # Fixed timestamps: the same capture always gives the same bytes (and sha256).
    when = tuple(captured_at.timetuple())[:6]
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, data in files.items():
            info = zipfile.ZipInfo(path, date_time=when)
            info.compress_type = (
                zipfile.ZIP_STORED if path.endswith(".gz") else zipfile.ZIP_DEFLATED
            )
            archive.writestr(info, data)
    return buffer.getvalue()
