{
    "name": "Complaint Handling Reports",
    "summary": "Printed complaint records, registers and ISO 10002 management reports",
    "version": "18.0.1.0.0",
    "category": "Services/Complaints",
    "website": "https://github.com/complaint-handling/complaint_handling",
    "author": "Complaint Handling contributors",
    "license": "LGPL-3",
    "depends": ["complaint_handling"],
    "data": [],
    "installable": True,
}
