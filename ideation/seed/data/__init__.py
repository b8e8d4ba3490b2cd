"""The demo's content as plain data: no logic, nothing read from the database."""
