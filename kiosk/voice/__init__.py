"""The office speaks: the Vietnamese call phrase, its clips, and the audio of a call.

Pure Python, no Qt: the display board, the web board and `kiosk voice` all build a call here.
A call names a ticket number and a counter, never a person.
"""
