//! Amounts on the command line.
//!
//! A bare integer is **plancks** (the chain's unit: 1 AICF = 10¹² plancks); underscores are
//! allowed as digit separators (`100_000_000_000_000`). A number followed by `AICF` (any case,
//! spaces allowed) is **tokens** and may have up to 12 decimals (`100AICF`, `2.5 AICF`). An
//! explicit `planck`/`plancks` suffix is accepted too. A plain number with a decimal point is
//! refused: it is ambiguous.

/// Decimals of the AICF token.
pub const DECIMALS: u32 = 12;

/// Plancks per AICF.
pub const PLANCKS_PER_AICF: u128 = 1_000_000_000_000;

/// Parse an amount into plancks (see the module docs for the accepted forms).
pub fn parse(input: &str) -> Result<u128, String> {
	let text: String = input.chars().filter(|c| *c != '_' && !c.is_whitespace()).collect();
	let lower = text.to_ascii_lowercase();
	let bad = || {
		format!(
			"amount {input:?}: expected plancks (an integer, e.g. 100_000_000_000_000) or tokens \
			 (e.g. 100AICF, 2.5AICF)"
		)
	};
	if let Some(tokens) = lower.strip_suffix("aicf") {
		let (whole, frac) = tokens.split_once('.').unwrap_or((tokens, ""));
		if whole.is_empty() && frac.is_empty() {
			return Err(bad());
		}
		if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
			return Err(bad());
		}
		if frac.len() > DECIMALS as usize {
			return Err(format!("amount {input:?}: AICF has at most {DECIMALS} decimals"));
		}
		let whole: u128 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad())? };
		let mut frac_plancks: u128 = 0;
		let mut scale = PLANCKS_PER_AICF;
		for digit in frac.chars() {
			scale /= 10;
			let d = u128::from(digit.to_digit(10).ok_or_else(bad)?);
			frac_plancks =
				frac_plancks.checked_add(d.checked_mul(scale).ok_or_else(bad)?).ok_or_else(bad)?;
		}
		return whole
			.checked_mul(PLANCKS_PER_AICF)
			.and_then(|p| p.checked_add(frac_plancks))
			.ok_or_else(|| format!("amount {input:?}: too large"));
	}
	let digits =
		lower.strip_suffix("plancks").or_else(|| lower.strip_suffix("planck")).unwrap_or(&lower);
	if digits.contains('.') {
		return Err(format!(
			"amount {input:?}: a plain number is plancks and must be an integer; write tokens \
			 with the unit, e.g. {digits}AICF"
		));
	}
	if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
		return Err(bad());
	}
	digits.parse().map_err(|_| format!("amount {input:?}: too large"))
}

/// `plancks` as tokens, e.g. `100 AICF`, `2.5 AICF`, `0.000000000001 AICF`.
pub fn format(plancks: u128) -> String {
	let whole = plancks / PLANCKS_PER_AICF;
	let frac = plancks % PLANCKS_PER_AICF;
	if frac == 0 {
		return format!("{whole} AICF");
	}
	let frac = format!("{frac:012}");
	format!("{whole}.{} AICF", frac.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn bare_integers_are_plancks_and_suffixed_numbers_are_tokens() {
		assert_eq!(parse("1_000_000_000"), Ok(1_000_000_000));
		assert_eq!(parse("100_000_000_000_000"), Ok(100 * PLANCKS_PER_AICF));
		assert_eq!(parse("100AICF"), Ok(100 * PLANCKS_PER_AICF));
		assert_eq!(parse("100 aicf"), Ok(100 * PLANCKS_PER_AICF));
		assert_eq!(parse("2.5AICF"), Ok(2_500_000_000_000));
		assert_eq!(parse(".5AICF"), Ok(500_000_000_000));
		assert_eq!(parse("0.000000000001AICF"), Ok(1));
		assert_eq!(parse("7 plancks"), Ok(7));
		assert_eq!(parse("7planck"), Ok(7));
	}

	#[test]
	fn parse_refuses_ambiguous_malformed_and_overflowing_amounts() {
		assert!(parse("2.5").unwrap_err().contains("must be an integer"));
		assert!(parse("0.0000000000001AICF").unwrap_err().contains("at most 12 decimals"));
		assert!(parse("").is_err());
		assert!(parse("AICF").is_err());
		assert!(parse("-5").is_err());
		assert!(parse("5 DOT").is_err());
		assert!(parse("1e3").is_err());
		assert!(parse("999999999999999999999999999999999999999999")
			.unwrap_err()
			.contains("too large"));
		assert!(parse("999999999999999999999999999999AICF").unwrap_err().contains("too large"));
	}

	#[test]
	fn format_shows_tokens_without_trailing_zeros() {
		assert_eq!(format(100 * PLANCKS_PER_AICF), "100 AICF");
		assert_eq!(format(2_500_000_000_000), "2.5 AICF");
		assert_eq!(format(1), "0.000000000001 AICF");
		assert_eq!(format(0), "0 AICF");
	}
}
