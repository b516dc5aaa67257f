"""Complaint intake through XML-RPC: complaints per second, one per call and in batches.

Run it against a running Odoo with the addon installed, on a throw-away database (complaints are
never deleted, so the created ones stay):

    python bench/bench_rpc_intake.py --url http://localhost:8069 --db complaints \\
        --login admin --password admin -n 500

It starts nothing itself. To start a server for it, from the repository's root:

    .venv/bin/python -m odoo -c .run/odoo.conf -d <database> --http-port 8069 --workers 0

The login must be a complaint user (or handler, manager); an API key works as the password.
It creates ``n`` complaints with one ``create`` call each, then ``n`` more with ``create`` calls
of ``--batch`` value dicts (default 100), and prints complaints/s and ms per call for both. Each
complaint gets the minimum fields of ISO 10002 7.2: subject, complainant, channel, description.
"""

import argparse
import sys
import time
import xmlrpc.client


def _vals(index, partner_id):
    return {
        "subject": f"RPC bench complaint {index}",
        "channel": "phone",
        "partner_id": partner_id,
        "description": f"<p>Complaint {index} registered by the RPC benchmark.</p>",
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--url", help="Odoo base URL, e.g. http://localhost:8069")
    parser.add_argument("--db", required=True)
    parser.add_argument("--login", required=True)
    parser.add_argument("--password", required=True, help="password or API key")
    parser.add_argument("-n", type=int, default=500, help="complaints per mode (default 500)")
    parser.add_argument("--batch", type=int, default=100, help="value dicts per create call in batch mode")
    args = parser.parse_args(argv)
    if not args.url:
        print(__doc__)
        return 2

    common = xmlrpc.client.ServerProxy(f"{args.url}/xmlrpc/2/common")
    uid = common.authenticate(args.db, args.login, args.password, {})
    if not uid:
        print("Authentication failed: check --db, --login and --password.", file=sys.stderr)
        return 1
    models = xmlrpc.client.ServerProxy(f"{args.url}/xmlrpc/2/object", allow_none=True)

    def call(model, method, *call_args, **kwargs):
        return models.execute_kw(args.db, uid, args.password, model, method, list(call_args), kwargs)

    partner_id = call("res.partner", "create", {"name": "RPC Bench Complainant", "email": "rpc.bench@example.com"})
    before = call("complaint.complaint", "search_count", [])

    # The floor: a call that reads one row, to tell the RPC round trip from the work of create.
    start = time.perf_counter()
    for _i in range(50):
        call("complaint.complaint", "search_count", [("id", "=", 0)])
    floor = (time.perf_counter() - start) / 50

    start = time.perf_counter()
    for index in range(args.n):
        call("complaint.complaint", "create", _vals(index, partner_id))
    single = time.perf_counter() - start

    start = time.perf_counter()
    calls = 0
    for first in range(0, args.n, args.batch):
        size = min(args.batch, args.n - first)
        call("complaint.complaint", "create", [_vals(args.n + first + i, partner_id) for i in range(size)])
        calls += 1
    batched = time.perf_counter() - start

    created = call("complaint.complaint", "search_count", []) - before
    [last] = call("complaint.complaint", "search_read", [], fields=["name", "state"], order="id desc", limit=1)
    print(f"server {args.url}, database {args.db}, user {args.login}: {created} complaints created")
    print(f"last one: {last['name']} ({last['state']})")
    print(f"round trip floor : {1000 * floor:6.1f} ms/call (search_count)")
    print(
        f"one per call     : {args.n} calls, {args.n / single:8.1f} complaints/s, {1000 * single / args.n:6.1f} ms/call"
    )
    print(
        f"batches of {args.batch:<5} : {calls} calls, {args.n / batched:8.1f} complaints/s, "
        f"{1000 * batched / calls:6.1f} ms/call"
    )
    return 0 if created == 2 * args.n else 1


if __name__ == "__main__":
    sys.exit(main())
