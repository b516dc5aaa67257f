from pathlib import Path

from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_mail_gateway import ComplaintMailCase

CORPUS = Path(__file__).parent / "data" / "mail_corpus"

# The expected outcome of each message of the corpus, fed in this order to the alias of team A:
#   complaint  one new complaint, the message in its chatter
#   existing   no new complaint, the message posted on the complaint it answers
#   duplicate  a Message-Id already processed (mail server retry): ignored, stored once
#   team       no usable sender: no complaint, the message kept on the team
#   refused    auto-replies, bounces, bulk and system mail: dropped on purpose (answering them loops)
EXPECTED = {
    "01_plain_complaint.eml": "complaint",
    "02_reply_to_complaint.eml": "existing",
    "03_duplicate_message_id.eml": "duplicate",
    "04_auto_reply_out_of_office.eml": "refused",
    "05_precedence_bulk_newsletter.eml": "refused",
    "06_dsn_bounce.eml": "refused",
    "07_no_from.eml": "team",
    "08_from_name_without_address.eml": "team",
    "09_wrong_charset_latin1_declared_utf8.eml": "complaint",
    "10_unknown_charset.eml": "complaint",
    "11_huge_body.eml": "complaint",
    "12_html_with_script.eml": "complaint",
    "13_nested_multipart.eml": "complaint",
    "14_odd_attachment_names.eml": "complaint",
    "15_invalid_base64.eml": "complaint",
    "16_very_long_subject.eml": "complaint",
    "17_sql_looking_text.eml": "complaint",
    "18_null_bytes.eml": "complaint",
    "19_no_subject_no_body.eml": "complaint",
    "20_encoded_words_vietnamese.eml": "complaint",
    "21_system_sender_postmaster.eml": "refused",
    "22_x_autoreply_header.eml": "refused",
    "23_raw_utf8_headers.eml": "complaint",
    "24_many_recipients_and_cc.eml": "complaint",
    "25_only_attachment_no_text.eml": "complaint",
}

# 11_huge_body.eml holds this marker instead of its 1 MB body, which the test writes in (keeps the repository small).
HUGE_BODY_MARKER = b"{{HUGE_BODY}}"
HUGE_BODY = (b"I waited on the phone for hours and nobody answered. " * 20 + b"\n") * 1000

MUTED = ("odoo.addons.complaint_handling.models.mail_thread", "odoo.addons.mail.models.mail_thread")


@tagged("post_install", "-at_install")
class TestMailCorpus(ComplaintMailCase):
    """A corpus of real-world and malformed e-mails: each has one declared outcome, none crashes."""

    def _feed(self, name):
        """Process one corpus file; return (new complaints, new team messages, stored messages)."""
        raw = (CORPUS / name).read_bytes().replace(HUGE_BODY_MARKER, HUGE_BODY)
        team_before = self.team_a.message_ids
        messages_before = self.env["mail.message"].search([], order="id desc", limit=1).id
        complaints = self._process(raw)
        self.team_a.invalidate_recordset()
        stored = self.env["mail.message"].search(
            [("id", ">", messages_before), ("message_type", "=", "email")], order="id"
        )
        return complaints, self.team_a.message_ids - team_before, stored

    def _attachments(self, complaint):
        return self.env["ir.attachment"].search(
            [("res_model", "=", "complaint.complaint"), ("res_id", "=", complaint.id)]
        )

    def test_corpus_is_complete(self):
        files = sorted(path.name for path in CORPUS.glob("*.eml"))
        self.assertGreaterEqual(len(files), 20)
        self.assertEqual(files, sorted(EXPECTED), "every file of the corpus has a declared outcome")

    @mute_logger(*MUTED)
    def test_each_message_has_its_declared_outcome(self):
        results = {}
        original = self.Complaint
        for name, outcome in EXPECTED.items():
            with self.subTest(file=name, expected=outcome):
                original_messages = len(original.message_ids)
                complaints, team_messages, stored = self._feed(name)
                results[name] = complaints
                if outcome == "complaint":
                    self.assertEqual(len(complaints), 1)
                    self.assertEqual(complaints.team_id, self.team_a)
                    self.assertEqual(complaints.channel, "email")
                    self.assertEqual(len(stored), 1, "the e-mail itself is kept")
                    self.assertEqual((stored.model, stored.res_id), ("complaint.complaint", complaints.id))
                    self.assertTrue(complaints.step_ids, "a receipt step")
                    self.assertFalse(team_messages)
                    if name == "01_plain_complaint.eml":
                        original = complaints
                elif outcome == "existing":
                    self.assertFalse(complaints)
                    original.invalidate_recordset()
                    self.assertEqual(len(original.message_ids), original_messages + 1)
                    self.assertEqual((stored.model, stored.res_id), ("complaint.complaint", original.id))
                elif outcome == "duplicate":
                    self.assertFalse(complaints)
                    self.assertFalse(stored)
                    self.assertEqual(
                        self.env["mail.message"].search_count(
                            [("message_id", "=", "<corpus-original@client.example.org>")]
                        ),
                        1,
                    )
                elif outcome == "team":
                    self.assertFalse(complaints)
                    self.assertEqual(len(team_messages), 1, "kept on the team, not lost")
                    self.assertEqual(stored, team_messages)
                else:
                    self.assertFalse(complaints)
                    self.assertFalse(stored)
                    self.assertFalse(team_messages)
        self._check_details(results)

    def _check_details(self, results):
        """What each hostile message must (not) leave in the register."""
        huge = results["11_huge_body.eml"]
        self.assertGreater(len(huge.description), 500_000)

        html = results["12_html_with_script.eml"]
        for text in (html.description, html.message_ids.filtered(lambda m: m.message_type == "email").body):
            for forbidden in ("<script", "onerror", "javascript:", "<iframe", "document.cookie"):
                self.assertNotIn(forbidden, text)
        self.assertIn("<b>leaks</b>", html.description)

        nested = self._attachments(results["13_nested_multipart.eml"])
        self.assertIn("invoice.pdf", nested.mapped("name"))
        self.assertIn("broken", results["13_nested_multipart.eml"].description)

        odd = self._attachments(results["14_odd_attachment_names.eml"])
        # Every attachment is kept whatever its name, but a program ("CON .exe  ", MZ header): the upload rules
        # of complainants' files hold for e-mail too, and a note says what was left out.
        self.assertEqual(len(odd), 4)
        self.assertFalse([name for name in odd.mapped("name") if "exe" in name])
        left_out = results["14_odd_attachment_names.eml"].message_ids.filtered(lambda m: "not kept" in (m.body or ""))
        self.assertIn("CON .exe", left_out.body)
        self.assertIn("réclamation 😀.pdf", odd.mapped("name"))
        for attachment in odd:
            self.assertNotIn("..", attachment.store_fname or "", "the file store path never comes from the name")

        self.assertTrue(results["15_invalid_base64.eml"])
        self.assertEqual(len(results["16_very_long_subject.eml"].subject), 200)

        sql = results["17_sql_looking_text.eml"]
        self.assertEqual(sql.subject, "'; DROP TABLE complaint_complaint; --")
        self.assertIn("UNION SELECT", sql.description)
        self.assertEqual(sql.complainant_email, "bobby.tables@client.example.org")
        self.assertTrue(self.env["res.partner"].search_count([]), "the tables are all there")

        nul = results["18_null_bytes.eml"]
        self.assertNotIn("\x00", nul.subject)
        self.assertNotIn("\x00", nul.description or "")

        self.assertEqual(results["19_no_subject_no_body.eml"].subject, "(no subject)")

        vietnamese = results["20_encoded_words_vietnamese.eml"]
        self.assertEqual(vietnamese.subject, "Khiếu nại: ấm đun nước bị rò rỉ")
        self.assertEqual(vietnamese.complainant_name, "Nguyễn Văn A")
        self.assertIn("Ấm đun nước", vietnamese.description)

        self.assertIn("café", results["23_raw_utf8_headers.eml"].subject)
        self.assertIn("letter.pdf", self._attachments(results["25_only_attachment_no_text.eml"]).mapped("name"))

    @mute_logger(*MUTED)
    def test_feeding_the_corpus_twice_creates_nothing_more(self):
        """A mail server that delivers everything again (retry after a timeout) duplicates nothing."""
        for name in EXPECTED:
            self._feed(name)
        for name in EXPECTED:
            with self.subTest(file=name):
                complaints, team_messages, stored = self._feed(name)
                self.assertFalse(complaints)
                self.assertFalse(team_messages)
                self.assertFalse(stored)
