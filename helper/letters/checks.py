"""The names of the element checks a letter kind may declare (content/letters/elements.toml).

Each name is one question asked of the record by `helper.letters.engine`; the content says which
clause of which law makes it required. Kept apart (and free of imports) so content can be validated
against it.
"""

CHECK_NAMES = (
    "signature",  # a typed signature of the person, or of whoever acts for them
    "contact",  # some way to reach them: e-mail, telephone or postal address
    "email",
    "name_and_email",
    "name_and_email_unless_minor",  # DSA Art. 16(2)(c): only child-abuse material is exempt
    "identity",  # full name and postal address
    "civil_status",  # the état civil of whoever files a complaint: date and place of birth
    "court",  # the city of the court (tribunal judiciaire) a complaint is written to
    "location",  # at least one exact address of the content (a bare domain is not a location)
    "reasons",  # why the content is illegal or unwanted: the person's account of what happened
    "narrative",
    "dates",  # when it started, or dated threats or payments
    "harm",
    "evidence",  # a list of the files kept, with their fingerprints
    "suspect",  # an account of the person threatening
    "payments",  # at least one line of the ledger
    "payment_details",  # each payment made says where the money went
    "good_faith",  # a declaration the person makes, ticked in the letter details
    "accurate",
    "perjury",
    "own_photo",
    "intimate_declared",
    "acting_for",  # who signs: the person, or someone acting for them
    "earlier_request",  # for an escalation: the request it follows, with the date it was sent
)
