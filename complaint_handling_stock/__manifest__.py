{
    "name": "Complaint Handling - Inventory",
    "summary": "Link complaints to the deliveries and lots or serial numbers they are about",
    "version": "18.0.1.0.0",
    "category": "Services/Complaints",
    "website": "https://github.com/complaint-handling/complaint_handling",
    "author": "Complaint Handling contributors",
    "license": "LGPL-3",
    "depends": ["complaint_handling", "stock"],
    "data": [
        "views/complaint_complaint_views.xml",
        "views/stock_picking_views.xml",
        "views/stock_lot_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
