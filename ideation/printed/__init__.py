"""Printed material (issue 13): A4 posters for the entrance hall, with server-drawn QR
codes and short links (`/d/<code>` a challenge, `/a/<code>` a workshop)."""
