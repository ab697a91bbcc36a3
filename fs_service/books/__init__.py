"""Address books and their contacts (BOOK-1..3, issue 19).

One package per feature: ``queries`` (what a person may see: the books, their contacts, search —
the read API the phones' display lists use too), ``search`` (any field, fast at 50,000
contacts), ``rules`` (create/rename/delete books, access,
contacts: who may write what), ``text`` (phone and search normalisation), ``csv_io`` (import,
export). The company book is never stored: it is read from the account's extensions listed in
the directory, so it is always current. The package imports no door.
"""
