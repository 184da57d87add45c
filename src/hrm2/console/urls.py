"""URLs of the console (server-rendered pages; the API keeps JWT, the console uses sessions)."""

app_name = "console"
urlpatterns: list = []
