"""Opening the course: set-up steps, JupyterLab on 127.0.0.1 with a token, the save hook.

Imports ``grading`` (for the learner's quiz copies made at set-up) and the bottom layer.
"""
