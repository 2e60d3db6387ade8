"""The agenda: what is due, what is late, and which leads have no next step."""
