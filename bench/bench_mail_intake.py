"""Complaint intake through the mail gateway, then the acknowledgement cron: messages/s and acknowledgements/s.

Run it from the repository's root on a database where complaint_handling is installed:

    .venv/bin/python bench/bench_mail_intake.py -c .run/odoo.conf -d <database> -n 500

With ``--create`` the script first creates the database itself (and installs the addon without
demo data; it must not exist yet). Everything the benchmark does happens in one transaction that
is rolled back at the end: the database is left as it was, and no e-mail is ever sent.

It builds ``n`` RFC 822 messages (plain text and HTML alternatives, one in four with a small
attachment, half of them from senders who are known contacts), feeds them one by one to
``mail.thread.message_process`` addressed to a team's alias, as the mail gateway does, then runs
the acknowledgement cron until its queue is empty. It prints the messages per second of the
intake and the acknowledgements per second of the cron (each one renders the template, posts it
in the chatter, queues the e-mail and records the acknowledgement step).
"""

import argparse
import base64
import subprocess
import sys
import time

ALIAS_DOMAIN = "bench-mail.example.com"

MESSAGE = """To: complaints-bench@{domain}
From: "{name}" <{email}>
Subject: Complaint {index}: the order arrived damaged
Date: Mon, 23 Nov 2026 10:00:00 +0000
Message-ID: <bench-{run}-{index}@client.example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="MIXED"

--MIXED
Content-Type: multipart/alternative; boundary="ALT"

--ALT
Content-Type: text/plain; charset=utf-8

Hello, order {index} arrived damaged: the box was crushed and the kettle is dented.
I would like a replacement. Regards, {name}
--ALT
Content-Type: text/html; charset=utf-8

<p>Hello, order <b>{index}</b> arrived damaged: the box was crushed and the kettle is dented.</p>
<p>I would like a replacement.</p><p>Regards, {name}</p>
--ALT--
{attachment}--MIXED--
"""

ATTACHMENT = """--MIXED
Content-Type: image/png; name="photo-{index}.png"
Content-Disposition: attachment; filename="photo-{index}.png"
Content-Transfer-Encoding: base64

{data}
"""


def _messages(count, run):
    png = base64.encodebytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40).decode()
    for index in range(count):
        known = index % 2 == 0
        name = f"Known Customer {index}" if known else f"New Customer {index}"
        email = f"{'known' if known else 'new'}.{index}@client.example.org"
        attachment = ATTACHMENT.format(index=index, data=png) if index % 4 == 0 else ""
        yield (
            MESSAGE.format(domain=ALIAS_DOMAIN, name=name, email=email, index=index, run=run, attachment=attachment),
            known,
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("-n", type=int, default=500, help="messages to feed (default 500)")
    parser.add_argument("--create", action="store_true", help="create the database and install the addon first")
    args = parser.parse_args(argv)

    if args.create:
        subprocess.run(["createdb", args.database], check=True)
        subprocess.run(
            [sys.executable, "-m", "odoo", "-c", args.config, "-d", args.database, "-i", "complaint_handling"]
            + ["--stop-after-init", "--without-demo=all", "--log-level=warn"],
            check=True,
        )

    import odoo  # noqa: PLC0415 - after the optional install, in this process only
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"mail_notify_force_send": False})
        domain = env["mail.alias.domain"].create(
            {"name": ALIAS_DOMAIN, "bounce_alias": "bounce-bench", "catchall_alias": "catchall-bench"}
        )
        env.company.write({"alias_domain_id": domain.id, "complaint_auto_acknowledge": True})
        team = env["complaint.team"].create(
            {"name": "Mail Bench Team", "alias_name": "complaints-bench", "alias_domain_id": domain.id}
        )
        run = int(time.time())
        messages = list(_messages(args.n, run))
        env["res.partner"].create(
            [
                {"name": f"Known Customer {index}", "email": f"known.{index}@client.example.org"}
                for index, (_message, known) in enumerate(messages)
                if known
            ]
        )
        env.flush_all()
        Complaint = env["complaint.complaint"]
        MailThread = env["mail.thread"]
        before = Complaint.search_count([])

        start = time.perf_counter()
        for message, _known in messages:
            MailThread.message_process(None, message)
        env.flush_all()
        intake = time.perf_counter() - start
        created = Complaint.search([("team_id", "=", team.id)])

        start = time.perf_counter()
        acknowledged = 0
        while done := Complaint._cron_send_acknowledgements():
            acknowledged += done
        env.flush_all()
        acking = time.perf_counter() - start

        with_partner = len(created.filtered("partner_id"))
        attachments = env["ir.attachment"].search_count(
            [("res_model", "=", "complaint.complaint"), ("res_id", "in", created.ids)]
        )
        states = sorted(set(created.mapped("state")))
        cr.rollback()

    print(f"database {args.database}: {args.n} messages -> {len(created)} complaints ({before} before)")
    print(f"  linked to a known contact: {with_partner}, attachments kept: {attachments}, states now: {states}")
    print(f"intake          : {args.n / intake:8.1f} messages/s ({1000 * intake / args.n:6.1f} ms/message)")
    print(
        f"acknowledgement : {acknowledged / acking if acking else 0:8.1f} acknowledgements/s "
        f"({acknowledged} sent, {1000 * acking / max(acknowledged, 1):6.1f} ms each)"
    )
    print("everything was rolled back")
    return 0 if len(created) == args.n and acknowledged == args.n else 1


if __name__ == "__main__":
    sys.exit(main())
