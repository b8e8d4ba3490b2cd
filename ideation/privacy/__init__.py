"""Privacy (RGPD): the export of one's data, account erasure, retention of inactive accounts."""
