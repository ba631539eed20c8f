# API tests: the real binary on a free port with a fresh database, spoken to over HTTP.
