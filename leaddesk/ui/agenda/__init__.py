"""The agenda: what is due, what is late, which leads have no next step, and the
reminders (timer, banner, tray) that say so while LeadDesk runs."""
