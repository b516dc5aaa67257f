"""Merge an addon's regenerated .pot into its vi.po: the translations kept, new terms empty, old ones dropped.

Usage (from setup/i18n_update.sh): python setup/i18n_merge.py <addon>/i18n/<addon>.pot <addon>/i18n/vi.po
Prints the number of terms left to translate.
"""

import sys

import polib


def main(pot_path, po_path):
    pot = polib.pofile(pot_path, wrapwidth=78)
    po = polib.pofile(po_path, wrapwidth=78)
    po.merge(pot)
    for entry in [entry for entry in po if entry.obsolete]:
        po.remove(entry)
    for entry in po:
        # A translation polib kept from a similar term is not one: Odoo ignores fuzzy entries anyway.
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
    po.save(po_path)
    print(len([entry for entry in po if not entry.msgstr]))


if __name__ == "__main__":
    main(*sys.argv[1:3])
