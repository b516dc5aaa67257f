{
    "name": "Complaint Handling - Sales",
    "summary": "Link complaints to the sales orders and order lines they are about",
    "version": "18.0.1.0.0",
    "category": "Services/Complaints",
    "website": "https://github.com/complaint-handling/complaint_handling",
    "author": "Complaint Handling contributors",
    "license": "LGPL-3",
    "depends": ["complaint_handling", "sale"],
    "data": [
        "views/complaint_complaint_views.xml",
        "views/sale_order_views.xml",
    ],
    "demo": [
        "demo/complaint_complaint_demo.xml",
    ],
    "auto_install": True,
    "installable": True,
}
