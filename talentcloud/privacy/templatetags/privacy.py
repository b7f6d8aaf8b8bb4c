from django import template

from talentcloud.privacy import masking

register = template.Library()

register.filter("mask_id", masking.mask_id_number)
register.filter("mask_phone", masking.mask_phone)
register.filter("mask_email", masking.mask_email)
register.filter("mask_bank", masking.mask_bank_account)
register.filter("mask_name", masking.mask_text)
