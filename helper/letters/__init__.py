"""Letters from the record: removal notices, reports to the police and regulators, escalations.

No Flask. `helper.letters.engine` turns a case, the letter details and a kind from
`content/letters/kinds.toml` into a `Letter`: its text, written offline from templates under
`content/letters/`, and the elements the law behind it requires that the record still lacks.
`helper.letters.tracker` follows each report sent until it is answered, with its clock.

This package's __init__ imports nothing, so that `helper.content` may read the names of the element
checks without a cycle.
"""
