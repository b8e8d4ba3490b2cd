"""The site's own pages: accessibility statement, help, legal notice, about; robots.txt."""
