"""Users and their roles (admin, hr, interviewer, reviewer), and the /auth/ endpoints."""
