//! A dense row-major matrix (of f64 unless said): the one array type of the classifier (data,
//! activations). Rows are samples, columns are features; JSON's `[[...]]` conversions check shapes.

use crate::error::{Error, Result};

/// `rows × cols` numbers stored row after row. The passes also hold dual numbers in it
/// (see [`super::scalar::Scalar`]); data and JSON are always `f64`.
#[derive(Debug, Default, PartialEq)]
pub struct Matrix<T = f64> {
    rows: usize,
    cols: usize,
    data: Vec<T>,
}

/// By hand, so that `clone_from` reuses the buffer (a derived one allocates anew), as the
/// backward pass does with its scratch matrices every update.
impl<T: Clone> Clone for Matrix<T> {
    fn clone(&self) -> Self {
        Matrix {
            rows: self.rows,
            cols: self.cols,
            data: self.data.clone(),
        }
    }

    fn clone_from(&mut self, src: &Self) {
        self.rows = src.rows;
        self.cols = src.cols;
        self.data.clone_from(&src.data);
    }
}

impl Matrix {
    /// A matrix of zeros.
    pub fn zeros(rows: usize, cols: usize) -> Matrix {
        Matrix {
            rows,
            cols,
            data: vec![0.0; rows * cols],
        }
    }

    /// Wrap a row-major buffer; its length must be `rows · cols`.
    pub fn from_vec(rows: usize, cols: usize, data: Vec<f64>) -> Result<Matrix> {
        if rows.checked_mul(cols) != Some(data.len()) {
            return Err(Error::invalid(
                "matrix",
                format!("{} numbers", data.len()),
                &format!("{rows} × {cols} = {} numbers", rows.saturating_mul(cols)),
            ));
        }
        Ok(Matrix { rows, cols, data })
    }

    /// Read `[[...] × rows]`; every row must have `cols` numbers (`cols` = the first row's
    /// length when `None`). `field` names the input in errors.
    pub fn from_rows(field: &str, rows: &[Vec<f64>], cols: Option<usize>) -> Result<Matrix> {
        let cols = cols.or_else(|| rows.first().map(Vec::len)).unwrap_or(0);
        let mut data = Vec::with_capacity(rows.len() * cols);
        for (i, r) in rows.iter().enumerate() {
            if r.len() != cols {
                return Err(Error::invalid(
                    &format!("{field}[{i}]"),
                    format!("a row of {} numbers", r.len()),
                    &format!("{cols} numbers per row"),
                ));
            }
            data.extend_from_slice(r);
        }
        Ok(Matrix {
            rows: rows.len(),
            cols,
            data,
        })
    }

    /// The rows as nested vectors (for JSON).
    pub fn to_rows(&self) -> Vec<Vec<f64>> {
        self.data
            .chunks(self.cols.max(1))
            .take(self.rows)
            .map(<[f64]>::to_vec)
            .collect()
    }

    /// The first (row, column) whose value is NaN or infinite.
    pub fn first_non_finite(&self) -> Option<(usize, usize)> {
        let k = self.data.iter().position(|v| !v.is_finite())?;
        Some((k / self.cols.max(1), k % self.cols.max(1)))
    }

    /// An error naming `field[i][j]` when a value is not finite.
    pub fn check_finite(&self, field: &str) -> Result<()> {
        match self.first_non_finite() {
            None => Ok(()),
            Some((i, j)) => Err(Error::invalid(
                &format!("{field}[{i}][{j}]"),
                self.data[i * self.cols + j],
                "a finite number",
            )),
        }
    }
}

impl<T: Copy + Default> Matrix<T> {
    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn cols(&self) -> usize {
        self.cols
    }

    /// All numbers, row after row.
    pub fn data(&self) -> &[T] {
        &self.data
    }

    pub fn data_mut(&mut self) -> &mut [T] {
        &mut self.data
    }

    pub fn row(&self, i: usize) -> &[T] {
        &self.data[i * self.cols..(i + 1) * self.cols]
    }

    pub fn row_mut(&mut self, i: usize) -> &mut [T] {
        &mut self.data[i * self.cols..(i + 1) * self.cols]
    }

    /// Reshape to `rows × cols` of zeros, reusing the allocation.
    pub fn reset(&mut self, rows: usize, cols: usize) {
        self.rows = rows;
        self.cols = cols;
        self.data.clear();
        self.data.resize(rows * cols, T::default());
    }

    /// Reshape to `rows × cols` for a writer that sets every number: the numbers are left as
    /// they were (only new room is zeroed), which saves the zeroing pass of [`Self::reset`].
    pub fn reshape_for_overwrite(&mut self, rows: usize, cols: usize) {
        self.rows = rows;
        self.cols = cols;
        self.data.resize(rows * cols, T::default());
    }

    /// Make this the rows `idx` of `src`, in that order (reusing the allocation).
    pub fn gather(&mut self, src: &Matrix<T>, idx: &[usize]) {
        self.rows = idx.len();
        self.cols = src.cols;
        self.data.clear();
        for &i in idx {
            self.data.extend_from_slice(src.row(i));
        }
    }

    /// The rows `idx` of this matrix, in that order.
    pub fn select_rows(&self, idx: &[usize]) -> Matrix<T> {
        let mut m = Matrix::default();
        m.gather(self, idx);
        m
    }
}
