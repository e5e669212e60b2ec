URLS = ("api/", "placeworks.api.urls")
