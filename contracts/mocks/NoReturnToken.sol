// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title NoReturnToken
/// @notice Hostile test token shaped like USDT: `transfer` and `transferFrom` return nothing, so a caller
///         that decodes a bool reverts. Reverts on insufficient balance or allowance. 6 decimals, open mint.
///         Tests only.
contract NoReturnToken {
    // ERC-20 metadata getters keep their standard lower-case names.
    // solhint-disable const-name-snakecase
    string public constant name = "No Return USD";
    string public constant symbol = "nrUSD";
    uint8 public constant decimals = 6;
    // solhint-enable const-name-snakecase

    /// @notice Total minted.
    uint256 public totalSupply;
    /// @notice Balance of each holder.
    mapping(address holder => uint256 amount) public balanceOf;
    /// @notice Allowance of each spender over each owner's tokens.
    mapping(address owner => mapping(address spender => uint256 amount)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    error NoReturnTokenInsufficientBalance(address from, uint256 balance, uint256 needed);
    error NoReturnTokenInsufficientAllowance(address spender, uint256 allowance, uint256 needed);

    /// @notice Mints `amount` to `to`; anyone may call (test token).
    function mint(address to, uint256 amount) external {
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    /// @notice Sets `spender`'s allowance over the caller's tokens (this one does return true, like USDT).
    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    /// @notice Moves `amount` from the caller to `to`; returns nothing.
    function transfer(address to, uint256 amount) external {
        _move(msg.sender, to, amount);
    }

    /// @notice Moves `amount` from `from` to `to` using the caller's allowance; returns nothing.
    function transferFrom(address from, address to, uint256 amount) external {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) {
            require(allowed >= amount, NoReturnTokenInsufficientAllowance(msg.sender, allowed, amount));
            allowance[from][msg.sender] = allowed - amount;
        }
        _move(from, to, amount);
    }

    function _move(address from, address to, uint256 amount) private {
        uint256 balance = balanceOf[from];
        require(balance >= amount, NoReturnTokenInsufficientBalance(from, balance, amount));
        balanceOf[from] = balance - amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }
}
