"""The review loop: reviewers' decisions on flags and the web application that takes them."""
