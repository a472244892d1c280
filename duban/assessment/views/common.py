from duban.core.routes import Pages

pages = Pages()
