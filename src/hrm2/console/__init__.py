"""The web console for HR staff, interviewers and reviewers, served by HRM2 at /console/."""
