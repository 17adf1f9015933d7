"""Nothing of signals in the admin: signals, contacts and announced absences hold personal
data and live on the audit-logged pages only. (A place's closures: ``places.admin``.)"""
