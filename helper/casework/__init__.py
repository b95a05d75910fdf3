"""The verbs of a case: every act a person (or a counselor beside them) does to a case, in one place.

Each verb is one change to the record and the journal entries that say so, in one write under the
vault's lock, from the revision the page was built from where a stale page could undo another
window's work. The web views and the command line call these and nothing below them: a rule written
here is obeyed by both. Only these modules (and the exporters that journal themselves: the dossier,
the originals, the hand-over) write a case; tests/test_architecture.py holds them to it.

No Flask here. Verbs take plain values and return the saved case (or what the act made); errors are
nouns (`LetterIncomplete`).
"""
