"""The officers' pages: plain HTML built in Python with every value escaped, one same-origin
stylesheet, no JavaScript. `layout` holds the page shell and stylesheet, `views` the pages."""
