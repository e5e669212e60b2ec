URLS = ("", "placeworks.web.urls")
